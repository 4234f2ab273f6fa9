using System.Text.Json.Serialization;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The Bank speaks snake_case JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BankTransferRequest))]
[JsonSerializable(typeof(BankTransferResponse))]
[JsonSerializable(typeof(BankErrorResponse))]
[JsonSerializable(typeof(BankNotification))]
internal sealed partial class BankJsonContext : JsonSerializerContext;
