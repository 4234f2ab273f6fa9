using System.Text.Json.Serialization;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A speaks snake_case JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PspACreatePaymentRequest))]
[JsonSerializable(typeof(PspAAmountRequest))]
[JsonSerializable(typeof(PspAPaymentResponse))]
[JsonSerializable(typeof(PspARefundResponse))]
[JsonSerializable(typeof(PspAErrorResponse))]
internal sealed partial class PspAJsonContext : JsonSerializerContext;
