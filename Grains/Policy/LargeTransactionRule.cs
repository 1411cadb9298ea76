using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Policy;

/// <summary>The rule that flags a single money movement at or above the absolute threshold.</summary>
public static class LargeTransactionRule
{
    public const string Id = "risk.largeTransaction.absolute";
    public const string Flag = "largeTransaction";

    /// <summary>The flag's outcome when <paramref name="transactionEvent"/> is large, otherwise null.</summary>
    public static RuleOutcome? Evaluate(TransactionEvent transactionEvent, LargeTransactionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        ArgumentNullException.ThrowIfNull(policy);
        if (!transactionEvent.Type.IsMoneyMovement() || transactionEvent.Amount is not { } amount || amount < policy.AbsoluteThreshold)
        {
            return null;
        }

        return new RuleOutcome("true", Id, new Dictionary<string, decimal>
        {
            ["amount"] = amount,
            ["threshold"] = policy.AbsoluteThreshold,
        });
    }
}
