using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Silo.Alerts;

/// <summary>An alert with its workflow state: open, acknowledged or resolved, with who and when.</summary>
public sealed record AlertView
{
    public required string Id { get; init; }
    /// <summary>Position in the alert feed; <c>after</c> in <c>GET /v1/alerts</c> and the SSE event id.</summary>
    public required long Seq { get; init; }
    public required string CustomerId { get; init; }
    public required string Severity { get; init; }
    public required string Rule { get; init; }
    /// <summary>The flag (largeTransaction, velocity, ...) or <c>membershipDowngrade</c>.</summary>
    public required string Subject { get; init; }
    /// <summary>The event id that raised it, or <c>time</c> / <c>policy</c>.</summary>
    public required string Reason { get; init; }
    public required IReadOnlyDictionary<string, decimal> Evidence { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required int PolicyVersion { get; init; }
    public required string Status { get; init; }
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
    public string? ResolvedBy { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Note { get; init; }

    public static AlertView From(long seq, AlertRaised alert, string? status, string? acknowledgedBy, DateTimeOffset? acknowledgedAt, string? resolvedBy, DateTimeOffset? resolvedAt, string? note)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView
        {
            Id = alert.Id, Seq = seq, CustomerId = alert.CustomerId, Severity = alert.Severity, Rule = alert.Rule, Subject = alert.Subject,
            Reason = alert.Reason, Evidence = alert.Evidence, RaisedAt = alert.RaisedAt, PolicyVersion = alert.PolicyVersion,
            Status = status ?? AlertStatuses.Open, AcknowledgedBy = acknowledgedBy, AcknowledgedAt = acknowledgedAt,
            ResolvedBy = resolvedBy, ResolvedAt = resolvedAt, Note = note,
        };
    }
}

/// <summary>A page of alerts in feed order; <see cref="NextAfter"/> reads on, null on the last page.</summary>
public sealed record AlertPage(IReadOnlyList<AlertView> Items, long? NextAfter);

public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Resolved = "resolved";

    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Resolved];
}
