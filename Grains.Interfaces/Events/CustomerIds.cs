namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The shape of a customer id: 1-64 characters of letters, digits and <c>. _ - : @</c>.</summary>
public static class CustomerIds
{
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > EventRules.MaxCustomerIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    public const string Rule = "must be 1-64 characters: letters, digits and . _ - : @";
}
