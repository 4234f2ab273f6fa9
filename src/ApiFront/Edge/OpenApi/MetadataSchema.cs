using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Payments.Actors.ApiFront.Edge.OpenApi;

/// <summary>
/// The <c>metadata</c> member as the API really takes and gives it: an object of string keys to string values within
/// <see cref="MetadataLimits"/>. Optional and nullable in a request; in a response always present, <c>{}</c> when none.
/// The generator cannot see this by itself (responses write metadata with their own converter, requests read a dictionary).
/// </summary>
internal static class MetadataSchema
{
    public static void Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var isResponse = context.JsonTypeInfo.Type == typeof(Metadata);
        if (!isResponse && context.JsonPropertyInfo?.Name != MetadataRules.Field)
        {
            return;
        }

        schema.Type = isResponse ? JsonSchemaType.Object : JsonSchemaType.Object | JsonSchemaType.Null;
        schema.Description = isResponse
            ? "The merchant's key-value pairs, set when the object was created; {} when none."
            : $"Your own key-value pairs, kept with the object and shown on it: at most {MetadataLimits.KeysMax} keys of at most " +
              $"{MetadataLimits.KeyLengthMax} characters without '[' or ']', values of at most {MetadataLimits.ValueLengthMax} characters. " +
              "A key with an empty value is left out. Set at creation only.";
        schema.MaxProperties = MetadataLimits.KeysMax;
        schema.PropertyNames = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = MetadataLimits.KeyLengthMax,
            Pattern = @"^[^\[\]]+$",
        };
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = isResponse ? 1 : null,
            MaxLength = MetadataLimits.ValueLengthMax,
        };
        schema.Properties = null;
        schema.Items = null;
    }
}
