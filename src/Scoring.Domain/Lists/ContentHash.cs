using System.Security.Cryptography;
using System.Text.Json;

namespace Scoring.Domain.Lists;

/// <summary>
/// The fingerprint of a published list: canonical JSON (fixed key order, no whitespace) of street, week,
/// kind, rule-set version and the ranked entries — not who published or when — hashed with SHA-256.
/// A preview recomputed later from an unchanged ledger therefore has the same hash.
/// </summary>
public static class ContentHash
{
    public static string Of(string streetId, string week, string kind, int ruleSetVersion, IReadOnlyList<Standing> red, IReadOnlyList<Standing> black)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("street", streetId);
            w.WriteString("week", week);
            w.WriteString("kind", kind);
            w.WriteNumber("ruleSetVersion", ruleSetVersion);
            WriteEntries(w, "red", red);
            WriteEntries(w, "black", black);
            w.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteEntries(Utf8JsonWriter w, string name, IReadOnlyList<Standing> entries)
    {
        w.WriteStartArray(name);
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteNumber("rank", e.Rank);
            w.WriteString("subjectId", e.SubjectId);
            w.WriteString("name", e.Name);
            w.WriteString("community", e.CommunityId);
            w.WriteNumber("balance", e.Balance);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
