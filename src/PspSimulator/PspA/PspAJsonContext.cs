using System.Text.Json.Serialization;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>PSP A speaks snake_case JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PspACreatePaymentRequest))]
[JsonSerializable(typeof(PspAAmountRequest))]
[JsonSerializable(typeof(PspAPaymentResponse))]
[JsonSerializable(typeof(PspARefundResponse))]
[JsonSerializable(typeof(PspAErrorResponse))]
[JsonSerializable(typeof(PspAEvent<PspAPaymentObject>))]
[JsonSerializable(typeof(PspAEvent<PspARefundObject>))]
[JsonSerializable(typeof(PspAEvent<PspADisputeObject>))]
internal sealed partial class PspAJsonContext : JsonSerializerContext;
