// The ceiling for /api/messages on this machine: Kestrel parsing a JSON activity and writing
// a reply activity back, with no bot logic and no storage. The reply is shaped like an
// expectReplies answer (addresses swapped, replyToId set) so response sizes stay comparable
// with the other two targets.
using System.Text.Json;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapGet("/healthz", () => Results.Text("ok"));

app.MapPost("/api/messages", async (HttpRequest request) =>
{
    // Deserialising to JsonElement copies the document, so the reply may refer to its parts
    // after this handler returns.
    JsonElement activity;
    try
    {
        activity = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: request.HttpContext.RequestAborted);
    }
    catch (JsonException)
    {
        return Results.BadRequest();
    }

    if (activity.ValueKind != JsonValueKind.Object)
    {
        return Results.BadRequest();
    }

    return Results.Json(new
    {
        activities = new[]
        {
            new
            {
                type = "message",
                replyToId = Property(activity, "id"),
                channelId = Property(activity, "channelId"),
                serviceUrl = Property(activity, "serviceUrl"),
                conversation = Property(activity, "conversation"),
                from = Property(activity, "recipient"),
                recipient = Property(activity, "from"),
                locale = Property(activity, "locale"),
                text = "echo: " + (Property(activity, "text")?.GetString() ?? ""),
            },
        },
    });
});

app.Run();

static JsonElement? Property(JsonElement activity, string name) =>
    activity.TryGetProperty(name, out var value) ? value : null;
