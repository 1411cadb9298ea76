using System.Text.Json.Serialization;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The kinds of transaction event the platform understands, with their wire names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransactionType>))]
public enum TransactionType
{
    [JsonStringEnumMemberName("purchase")] Purchase,
    [JsonStringEnumMemberName("refund")] Refund,
    [JsonStringEnumMemberName("payment")] Payment,
    [JsonStringEnumMemberName("payment_failed")] PaymentFailed,
    [JsonStringEnumMemberName("deposit")] Deposit,
    [JsonStringEnumMemberName("withdrawal")] Withdrawal,
    /// <summary>An absolute account balance (may be negative: an overdraft).</summary>
    [JsonStringEnumMemberName("balance")] Balance,
    [JsonStringEnumMemberName("login")] Login,
    /// <summary>A credit score in <c>score</c>.</summary>
    [JsonStringEnumMemberName("credit_score")] CreditScore,
}
