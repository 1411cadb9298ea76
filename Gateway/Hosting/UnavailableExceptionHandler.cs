using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;
using Microsoft.AspNetCore.Diagnostics;

namespace CustomerActors.Gateway.Hosting;

/// <summary>
/// Maps "try again later" failures (store down, write conflict during failover, silo stopping) to 503 with
/// <c>Retry-After</c>. Nothing in such a request was acknowledged; retrying it is safe.
/// </summary>
internal sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var detail = exception switch
        {
            StorageUnavailableException => "The store is unavailable; nothing in this request was acknowledged. Retry later.",
            InconsistentStateException => "A customer's state changed concurrently; nothing in this request was acknowledged. Retry.",
            SiloUnavailableException => "The service is shutting down; nothing in this request was acknowledged. Retry later.",
            _ => null,
        };
        if (detail is null)
        {
            return false;
        }

        LogUnavailable(exception.GetType().Name, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "Service unavailable", Detail = detail },
        }).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering 503: {ExceptionType}: {Reason}")]
    private partial void LogUnavailable(string exceptionType, string reason);
}
