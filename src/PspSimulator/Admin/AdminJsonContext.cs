using System.Text.Json.Serialization;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>The admin API speaks snake_case JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(ProviderStatsSnapshot))]
[JsonSerializable(typeof(ChargeList))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
