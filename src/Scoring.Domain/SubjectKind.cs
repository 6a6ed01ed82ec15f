namespace Scoring.Domain;

/// <summary>Who is scored: a landlord (房东) or a shop head (铺长).</summary>
public enum SubjectKind { Landlord, ShopHead }

public static class SubjectKinds
{
    /// <summary>The wire names of the contract: <c>landlord</c> and <c>shop-head</c>.</summary>
    public static string ToWire(this SubjectKind kind) => kind == SubjectKind.ShopHead ? "shop-head" : "landlord";

    public static bool TryParse(string? text, out SubjectKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "landlord": kind = SubjectKind.Landlord; return true;
            case "shop-head": kind = SubjectKind.ShopHead; return true;
            default: kind = default; return false;
        }
    }

    public static string NameZh(this SubjectKind kind) => kind == SubjectKind.ShopHead ? "铺长" : "房东";
}

/// <summary>Who may report under a rule.</summary>
public enum ReporterRole { Self, GridWorker, Secretary, System }

public static class ReporterRoles
{
    public static string ToWire(this ReporterRole role) => role switch
    {
        ReporterRole.Self => "self",
        ReporterRole.GridWorker => "grid-worker",
        ReporterRole.Secretary => "secretary",
        _ => "system",
    };

    public static bool TryParse(string? text, out ReporterRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "self": role = ReporterRole.Self; return true;
            case "grid-worker": role = ReporterRole.GridWorker; return true;
            case "secretary": role = ReporterRole.Secretary; return true;
            case "system": role = ReporterRole.System; return true;
            default: role = default; return false;
        }
    }
}
