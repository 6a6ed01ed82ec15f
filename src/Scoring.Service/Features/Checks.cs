using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Weeks;

namespace Scoring.Service.Features;

/// <summary>
/// Checks of what arrives at the door (route values, query, body fields): each check returns a usable value and
/// remembers what was wrong, so one 400 names every problem at once. Query values arrive as text and are parsed
/// here, never bound as int?/bool?: the framework's binding failure names a C# type, not the values allowed.
/// </summary>
public sealed partial class Checks
{
    public const int MaxIdLength = 64;
    private readonly List<string> _problems = [];

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex IdPattern();

    public IsoWeek Week(string? text)
    {
        if (IsoWeek.TryParse(text, out var week)) return week;
        _problems.Add($"'{RosterText.Clip(text)}' is not a week: write it like 2026-W47 (week 01 to the year's last week, 52 or 53; years {IsoWeek.MinYear} to {IsoWeek.MaxYear}).");
        return default;
    }

    public SubjectKind Kind(string? text)
    {
        if (SubjectKinds.TryParse(text, out var kind)) return kind;
        _problems.Add(string.IsNullOrEmpty(text) ? "kind is required: landlord or shop-head." : $"kind '{RosterText.Clip(text)}' is unknown: use landlord or shop-head.");
        return default;
    }

    /// <summary>An id of a street, community, subject, staff member or event: letters, digits, '-', '_', '.'.</summary>
    public string Id(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) _problems.Add($"{name} is required.");
        else if (text.Length > MaxIdLength || !IdPattern().IsMatch(text)) _problems.Add($"{name} '{RosterText.Clip(text)}' is not an id (1–{MaxIdLength} letters, digits, '-', '_' or '.').");
        return text ?? "";
    }

    public string? OptionalId(string name, string? text) => string.IsNullOrEmpty(text) ? null : Id(name, text);

    /// <summary>
    /// Free text such as a reason or a note; required text must not be blank. Its length is counted as the text is stored
    /// (line breaks one newline, trimmed), not as sent.
    /// </summary>
    public string? Text(string name, string? text, int maxLength, bool required = false)
    {
        if (required && string.IsNullOrWhiteSpace(text)) _problems.Add($"{name} is required.");
        else if (text is not null && RosterText.AsStored(text).Length > maxLength) _problems.Add($"{name} is limited to {maxLength} characters.");
        return text;
    }

    /// <summary>An optional whole number from the query (parsed here, so a bad one gets the same 400 with a detail as everything else).</summary>
    public int? OptionalNumber(string name, string? text, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)) return Range(name, n, min, max);
        _problems.Add($"{name} '{RosterText.Clip(text)}' must be a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>An optional true/false from the query.</summary>
    public bool Flag(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        if (bool.TryParse(text, out var b)) return b;
        _problems.Add($"{name} '{RosterText.Clip(text)}' must be true or false.");
        return false;
    }

    public int Range(string name, int value, int min, int max)
    {
        if (value < min || value > max) _problems.Add($"{name} must be from {min} to {max}.");
        return value;
    }

    public T Required<T>(string name, T? value) where T : class
    {
        if (value is null) _problems.Add($"{name} is required.");
        return value!;
    }

    public void That(bool condition, string problem)
    {
        if (!condition) _problems.Add(problem);
    }

    public bool Failed([NotNullWhen(true)] out ProblemHttpResult? problem)
    {
        problem = _problems.Count == 0 ? null : Problems.Invalid(string.Join(" ", _problems));
        return problem is not null;
    }
}
