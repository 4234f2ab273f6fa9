using System.Text.Json.Serialization;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>PSP B speaks camelCase JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PspBTransactionRequest))]
[JsonSerializable(typeof(PspBAmountRequest))]
[JsonSerializable(typeof(PspBTransactionResponse))]
[JsonSerializable(typeof(PspBErrorResponse))]
[JsonSerializable(typeof(PspBNotification))]
internal sealed partial class PspBJsonContext : JsonSerializerContext;
