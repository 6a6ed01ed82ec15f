using System.Reflection;
using Scoring.Application;

namespace Scoring.Service.Hosting;

/// <summary>
/// This process as the service's status names it: the start of its workers' lease owner names (machine:process id), the
/// build it runs and when it started. Resolved once the host is built, so <see cref="StartedAt"/> is the start's time on
/// the service's clock.
/// </summary>
public sealed class ServiceInstance(TimeProvider time)
{
    /// <summary>machine:process id — every lease this instance holds has an owner beginning with it and a colon.</summary>
    public string Name { get; } = LeasedWork.InstancePrefix.TrimEnd(':');

    /// <summary>The service assembly's informational version (with the commit it was built from, where the build knew it).</summary>
    public string Version { get; } = typeof(ServiceInstance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ServiceInstance).Assembly.GetName().Version?.ToString() ?? "unknown";

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
