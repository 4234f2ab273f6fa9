namespace Payments.Actors.Grains.Psp;

/// <summary>A PSP's TCP connection did not open within the connect timeout: nothing was sent on it.</summary>
public sealed class PspConnectTimeoutException(string message) : TimeoutException(message);
