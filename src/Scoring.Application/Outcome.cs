namespace Scoring.Application;

/// <summary>Why a use case said no. The HTTP door maps the kind to a status code, the chat door to a sentence.</summary>
public enum FailureKind { Invalid, NotFound, Forbidden, Conflict, Unprocessable, PreconditionFailed }

/// <summary>A refusal in both languages, with a stable code clients can branch on.</summary>
public sealed record Failure(FailureKind Kind, string Code, string English, string Chinese)
{
    public string Text(bool chinese) => chinese ? Chinese : English;

    /// <summary>The field of the request the refusal is about (as the API names it), when it is about one.</summary>
    public string? Field { get; init; }

    /// <summary>On a public list or board that is not there: the path of the street's latest published board, to read instead.</summary>
    public string? LatestBoard { get; init; }

    public static Failure Invalid(string code, string en, string zh) => new(FailureKind.Invalid, code, en, zh);
    public static Failure NotFound(string code, string en, string zh) => new(FailureKind.NotFound, code, en, zh);
    public static Failure Forbidden(string en = "This is outside your scope.", string zh = "超出您的权限范围。") => new(FailureKind.Forbidden, "forbidden", en, zh);
    public static Failure Conflict(string code, string en, string zh) => new(FailureKind.Conflict, code, en, zh);

    /// <summary>The street named in a request does not exist (every use case that takes a street says it the same way).</summary>
    public static Failure StreetNotFound(string id) => NotFound("street-not-found", $"No street '{id}'.", $"找不到街道「{id}」。");
    public static Failure SubjectNotFound(string id) => NotFound("subject-not-found", $"No landlord or shop head '{id}'.", $"找不到房东或铺长「{id}」。");
}

/// <summary>Either a value or a <see cref="Failure"/>.</summary>
public readonly record struct Outcome<T>
{
    public T? Value { get; }
    public Failure? Failure { get; }
    public bool Succeeded => Failure is null;

    private Outcome(T? value, Failure? failure) { Value = value; Failure = failure; }

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}

/// <summary>Thrown inside a unit of work to roll it back and refuse; caught at the use-case boundary.</summary>
public sealed class RefusedException(Failure failure) : Exception(failure.English)
{
    public Failure Failure { get; } = failure;
}
