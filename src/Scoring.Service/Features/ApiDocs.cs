using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The OpenAPI document (/openapi/v1.json) and its reading room (/docs, Scalar).</summary>
public static class ApiDocs
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddApiDocs(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Scoring API";
            document.Info.Description = "Twelve-point scoring for landlords and shop heads: verification, weekly red/black lists, honours, rewards, rules and enrolment. " +
                "Staff send 'Authorization: Bearer <token>'; errors are ProblemDetails with a stable 'code', also where no route answered: " +
                "not-found (no such route), method-not-allowed (the Allow header lists what the route takes), unauthorized (no or a bad token), " +
                "forbidden, unsupported-media-type, rate-limited. Every GET route also answers HEAD: the same status and headers, no body.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A staff token (issued by an officer, or `staff token <id>` on the server).",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
                if (string.Equals(context.Description.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase))
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = Idempotency.Header, In = ParameterLocation.Header, Required = false,
                        Description = "Makes the POST safe to retry: the first outcome is stored and replayed for the same key (header Idempotent-Replayed: true); " +
                            "the same key with a different request is 422; while the first is still running, 409.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
                    });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("409", new OpenApiResponse { Description = "Conflict (also: a request with this Idempotency-Key is still running)." });
                    operation.Responses.TryAdd("422", new OpenApiResponse { Description = "This Idempotency-Key was used for a different request." });
                }
            }
            return Task.CompletedTask;
        });
    });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Scoring API")).WithMetadata(ContentSecurityPolicy.Docs);
        return app;
    }
}
