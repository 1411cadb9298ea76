namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The kinds of transaction event the platform understands. Wire names are in <see cref="TransactionTypes"/>.</summary>
public enum TransactionType
{
    Purchase,
    Refund,
    Payment,
    PaymentFailed,
    Deposit,
    Withdrawal,
    Balance,
    Login,
    CreditScore,
}
