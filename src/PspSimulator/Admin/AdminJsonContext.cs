using System.Text.Json.Serialization;
using Payments.Actors.PspSimulator.Settlement;
using Payments.Actors.PspSimulator.Simulation;
using Payments.Actors.PspSimulator.Webhooks;

namespace Payments.Actors.PspSimulator.Admin;

/// <summary>The admin API speaks snake_case JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(ProviderStatsSnapshot))]
[JsonSerializable(typeof(ChargeList))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(WebhookFaultSettings))]
[JsonSerializable(typeof(WebhookStats))]
[JsonSerializable(typeof(WebhookNotificationList))]
[JsonSerializable(typeof(WebhookNotificationView))]
[JsonSerializable(typeof(WebhookFlushResult))]
[JsonSerializable(typeof(SettlementResult))]
[JsonSerializable(typeof(DisputeRequest))]
[JsonSerializable(typeof(DisputeCloseRequest))]
[JsonSerializable(typeof(DisputeView))]
[JsonSerializable(typeof(SettlementFaultSettings))]
[JsonSerializable(typeof(SettlementFileResult))]
[JsonSerializable(typeof(SettlementFileList))]
[JsonSerializable(typeof(SettlementReleaseResult))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
