using System.Collections.Frozen;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>Wire names of <see cref="TransactionType"/> and what each type requires.</summary>
public static class TransactionTypes
{
    private static readonly (TransactionType Type, string Name)[] All =
    [
        (TransactionType.Purchase, "purchase"),
        (TransactionType.Refund, "refund"),
        (TransactionType.Payment, "payment"),
        (TransactionType.PaymentFailed, "payment_failed"),
        (TransactionType.Deposit, "deposit"),
        (TransactionType.Withdrawal, "withdrawal"),
        (TransactionType.Balance, "balance"),
        (TransactionType.Login, "login"),
        (TransactionType.CreditScore, "credit_score"),
        (TransactionType.Subscription, "subscription"),
        (TransactionType.Warranty, "warranty"),
        (TransactionType.Complaint, "complaint"),
        (TransactionType.Profile, "profile"),
    ];

    private static readonly FrozenDictionary<string, TransactionType> ByName =
        All.ToFrozenDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);

    /// <summary>The known wire names, in a stable order, for error messages and documentation.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(t => t.Name)];

    public static bool TryParse(string name, out TransactionType type) => ByName.TryGetValue(name, out type);

    private static readonly byte[][] Utf8Names = [.. All.Select(t => System.Text.Encoding.UTF8.GetBytes(t.Name))];

    /// <summary>The type a JSON string names, compared as UTF-8 without making a string of it; false for anything else.</summary>
    internal static bool TryRead(System.Text.Json.JsonElement value, out TransactionType type)
    {
        if (value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            for (var i = 0; i < Utf8Names.Length; i++)
            {
                if (value.ValueEquals(Utf8Names[i]))
                {
                    type = All[i].Type;
                    return true;
                }
            }
        }

        type = default;
        return false;
    }

    public static string ToWireName(this TransactionType type) => All[(int)type].Name;

    /// <summary>Types that carry a money amount (<c>amount</c> is required).</summary>
    public static bool RequiresAmount(this TransactionType type) => type is
        TransactionType.Purchase or TransactionType.Refund or TransactionType.Payment or TransactionType.PaymentFailed
        or TransactionType.Deposit or TransactionType.Withdrawal or TransactionType.Balance;

    /// <summary>Types whose amount may be negative: only an absolute balance (an overdraft).</summary>
    public static bool AllowsNegativeAmount(this TransactionType type) => type == TransactionType.Balance;

    /// <summary>Money movements that count as a transaction for frequency and large-transaction rules.</summary>
    public static bool IsMoneyMovement(this TransactionType type) => type is
        TransactionType.Purchase or TransactionType.Refund or TransactionType.Payment
        or TransactionType.Deposit or TransactionType.Withdrawal;
}
