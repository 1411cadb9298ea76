using System.Text.Json.Serialization;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The kinds of transaction event the platform understands, with their wire names.</summary>
/// <remarks>
/// The numbers are stored: the journal's compact form of an event (TransactionEventCodec) writes the type as its number.
/// Add new kinds at the end; never reorder or remove one.
/// </remarks>
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
    /// <summary>A service or course subscription ending at <c>endsAt</c>.</summary>
    [JsonStringEnumMemberName("subscription")] Subscription,
    /// <summary>An equipment warranty expiring at <c>expiresAt</c>.</summary>
    [JsonStringEnumMemberName("warranty")] Warranty,
    /// <summary>A complaint filed by the customer.</summary>
    [JsonStringEnumMemberName("complaint")] Complaint,
    /// <summary>Master-data facts: <c>industry</c>, <c>region</c>, <c>firstContactAt</c> (any of them).</summary>
    [JsonStringEnumMemberName("profile")] Profile,
}
