namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>Core tags copied from master data (profile events): industry and region. None until known.</summary>
public static class ProfileTagRules
{
    public const string IndustryId = "tag.industry.profile";
    public const string RegionId = "tag.region.profile";

    public static RuleOutcome? Industry(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Facts.Industry is { } industry ? new RuleOutcome(industry, IndustryId, context.Inputs()) : null;
    }

    public static RuleOutcome? Region(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Facts.Region is { } region ? new RuleOutcome(region, RegionId, context.Inputs()) : null;
    }
}
