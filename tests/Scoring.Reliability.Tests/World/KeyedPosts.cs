using System.Net.Http.Json;

namespace Scoring.Reliability.Tests.World;

/// <summary>A POST with an Idempotency-Key of its own, as the routes that take none without one need (428).</summary>
internal static class KeyedPosts
{
    public const string Header = "Idempotency-Key";

    public static Task<HttpResponseMessage> PostKeyedAsJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body), Headers = { { Header, Guid.NewGuid().ToString() } } });

    public static Task<HttpResponseMessage> PostKeyedAsync(this HttpClient client, string url, HttpContent? content = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Headers = { { Header, Guid.NewGuid().ToString() } } });
}
