using Microsoft.Extensions.Options;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>Checks the connection string's shape at start; errors name the key, never the credentials.</summary>
internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!Uri.TryCreate(options.ConnectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            errors.Add($"{RabbitMqOptions.SectionName}:ConnectionString must be an amqp:// or amqps:// URI");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"{RabbitMqOptions.SectionName}:RetryBaseDelay must be positive and at most RetryMaxDelay");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
