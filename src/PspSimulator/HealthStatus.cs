namespace Payments.Actors.PspSimulator;

/// <summary><c>GET /health</c>.</summary>
internal sealed record HealthStatus(string Status);
