using Microsoft.Extensions.Options;

namespace CustomerActors.Silo.Webhooks;

/// <summary>Checks every subscriber at start; errors name the configuration key, never the secret.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var errors = new List<string>();
        foreach (var (subscriber, settings) in options.Subscribers)
        {
            var key = $"Webhooks:Subscribers:{subscriber}";
            if (subscriber.Length is 0 or > 64 || !subscriber.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"{key}: the name must be 1-64 letters, digits, - or _");
            }

            if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"{key}:Url must be an absolute http or https URL");
            }

            if (settings.Secret.Length < 16)
            {
                errors.Add($"{key}:Secret must be at least 16 characters");
            }

            if (settings.Topics is { } topics && topics.Any(t => !WebhookSubscriber.AllTopics.Contains(t)))
            {
                errors.Add($"{key}:Topics must list one or more of alert, tier");
            }
        }

        if (options.MaxAttempts < 1)
        {
            errors.Add("Webhooks:MaxAttempts must be 1 or more");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("Webhooks:RetryBaseDelay must be positive and not above Webhooks:RetryMaxDelay");
        }

        return errors.Count > 0 ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
