using Microsoft.AspNetCore.OpenApi;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Payments.Actors.ApiFront.Apis.Disputes;
using Payments.Actors.ApiFront.Apis.Payments;
using Payments.Actors.ApiFront.Apis.Wallets;

namespace Payments.Actors.ApiFront.Apis.Events;

/// <summary>
/// An event's <c>data.object</c> in the published document. The generator sees an <c>object</c> and writes an empty
/// schema; on the wire it is the API's own representation of what changed (<see cref="MerchantEventRenderer"/>), named
/// by its <c>object</c> member: a payment, a wallet operation, a wallet hold or a dispute, exactly as their own
/// operations answer them. The document says so with a <c>oneOf</c> of those schemas and a discriminator on <c>object</c>,
/// whose value is a constant in each schema.
/// </summary>
public static class EventOpenApi
{
    /// <summary>Each object an event can show: the value of its <c>object</c> member and its schema.</summary>
    private static readonly (string Object, string Schema)[] Objects =
    [
        ("payment", nameof(PaymentResponse)),
        ("wallet_operation", nameof(WalletOperationResponse)),
        ("wallet_hold", nameof(WalletHoldResponse)),
        ("dispute", nameof(DisputeResponse)),
    ];

    /// <summary>Registers the transformer on the document <see cref="Edge.OpenApi.OpenApiContract"/> configures (call after it).</summary>
    public static IServiceCollection AddEventOpenApi(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        }));

    public static void Describe(OpenApiDocument document)
    {
        IOpenApiSchema? data = null;
        if (document.Components?.Schemas?.TryGetValue(nameof(EventData), out data) != true || data is not OpenApiSchema { Properties: { } properties })
        {
            return;
        }

        // A discriminator is a hint for generators; validators only see the oneOf. Each object's own `object` member is
        // a constant, so exactly one branch matches whatever the objects' other members have in common.
        foreach (var (value, name) in Objects)
        {
            if (document.Components.Schemas.TryGetValue(name, out var schema) && schema is OpenApiSchema { Properties: { } members })
            {
                members["object"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(value)] };
            }
        }

        properties["object"] = new OpenApiSchema
        {
            Description = "The payment, wallet operation, wallet hold or dispute the event is about, as the API showed it right after the change; " +
                "its own object member says which.",
            OneOf = [.. Objects.Select(o => (IOpenApiSchema)new OpenApiSchemaReference(o.Schema, document))],
            Discriminator = new OpenApiDiscriminator
            {
                PropertyName = "object",
                Mapping = Objects.ToDictionary(o => o.Object, o => new OpenApiSchemaReference(o.Schema, document)),
            },
        };
    }
}
