namespace Scoring.Reliability.Tests.World;

/// <summary>
/// The classes that bound real time from above — how long a read waited beside a held write lock, how many sends
/// outlived their attempt timeout — run in this collection: alone, after the rest of the suite (xunit runs the
/// collections that disable parallelization last, one at a time). Beside the storms, on the 2 cores CI has, those
/// bounds measured the storms' load as much as the service. Bounds that load can only make longer (Retry-After
/// honoured, the gap between two messages) would hold anywhere; they are here because their tests are.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive, run alone";
}
