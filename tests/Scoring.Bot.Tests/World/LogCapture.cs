using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Scoring.Bot.Tests.World;

/// <summary>
/// Every log line the service writes during a test, at every level, with scopes and exceptions in full —
/// what an operator's log collector would keep — so the privacy check sees all of it.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public IEnumerable<string> Texts => Lines.Select(l => l.ToString());

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    public int Count(LogLevel atLeast) => Lines.Count(l => l.Level >= atLeast);

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopeText = new System.Text.StringBuilder();
            capture.scopes.ForEachScope((scope, sb) => sb.Append(" => ").Append(scope), scopeText);
            // Structured values too: a sink that stores properties would keep them even if the message omits them.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            capture.Lines.Enqueue(new LogLine(logLevel, category, formatter(state, exception), values + scopeText, exception?.ToString()));
        }
    }
}

public sealed record LogLine(LogLevel Level, string Category, string Message, string Values, string? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message} | {Values}{(Exception is null ? "" : "\n" + Exception)}";
}
