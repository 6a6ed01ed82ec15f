using System.Net.Http.Json;

namespace Scoring.Reliability.Tests.World;

/// <summary>A POST with an Idempotency-Key of its own, as a report through the API must carry (428 without one).</summary>
internal static class KeyedPosts
{
    public const string Header = "Idempotency-Key";

    public static Task<HttpResponseMessage> PostKeyedAsJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body), Headers = { { Header, Guid.NewGuid().ToString() } } });
}
