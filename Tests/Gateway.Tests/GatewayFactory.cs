using CustomerActors.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Tests;

/// <summary>The real gateway in memory (TestServer), on the store the settings name; services may be replaced (a clock).</summary>
public sealed class GatewayFactory(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>
    /// Starts the gateway on these settings as <c>Program</c> does (<c>AddGateway</c>, <c>MapGateway</c>, start) and
    /// returns the validation error that stopped the start; fails if it started.
    /// </summary>
    /// <remarks>
    /// Not through <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/>: when the start fails, the program
    /// disposes its host while the factory may still be reading the host's services, and the factory then throws
    /// <see cref="ObjectDisposedException"/> instead of the reason (dotnet/aspnetcore#33494).
    /// </remarks>
    public async Task<OptionsValidationException> StartFailureAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGateway();
        if (services is not null)
        {
            services(builder.Services);
        }

        await using var app = builder.Build();
        app.MapGateway();
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }
}
