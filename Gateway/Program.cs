using CustomerActors.Gateway.Hosting;

// Configuration (appsettings.json) is read from next to the binary, so the gateway runs the same from any
// working directory; relative data paths (./data/) are relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddGateway();

var app = builder.Build();
app.MapGateway();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
