using System.Buffers;
using System.Net;
using CustomerActors.Grains.Interfaces.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CustomerActors.Benchmarks.Scenarios;

/// <summary>What the sink answers: the shape of the platform's <c>IngestResult</c>, every valid event counted as accepted.</summary>
public sealed record SinkResult(int Accepted, int Duplicates, IReadOnlyList<int> Rejected);

/// <summary>
/// An HTTP server that takes <c>POST /v1/events</c> as the gateway does (Kestrel, the body read whole, parsed with the
/// platform's own <see cref="EventBatchParser"/>) and then applies nothing: what the load generator and the transport
/// alone cost on this machine, the ceiling of any ingest over HTTP here. Not a platform: it keeps and stores nothing.
/// </summary>
public sealed class SinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SinkServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The sink's address (a free loopback port).</summary>
    public Uri Url { get; }

    public static async Task<SinkServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var parser = new EventBatchParser(new TransactionEventReader(new EventRules(), TimeProvider.System));
        app.MapPost("/v1/events", (HttpRequest request) => AcceptAsync(request, parser));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SinkServer(app, new Uri(address));
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, EventBatchParser parser)
    {
        if (request.ContentLength is not { } length || length is <= 0 or > int.MaxValue)
        {
            return TypedResults.BadRequest("the sink needs a Content-Length");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            await request.Body.ReadExactlyAsync(buffer.AsMemory(0, (int)length), request.HttpContext.RequestAborted).ConfigureAwait(false);
            var (batch, failure) = parser.ParseJson(buffer.AsMemory(0, (int)length), maxEvents: 100_000);
            if (batch is null)
            {
                return TypedResults.BadRequest(failure?.Message);
            }

            var rejected = new List<int>();
            for (var i = 0; i < batch.Items.Count; i++)
            {
                if (batch.Items[i].Event is null)
                {
                    rejected.Add(i);
                }
            }

            return TypedResults.Ok(new SinkResult(batch.Items.Count - rejected.Count, 0, rejected));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
