using Orleans.Runtime.Providers;
using Payments.Actors.Streaming.Kafka.Options;

namespace Payments.Actors.Streaming.Kafka.Streams;

/// <summary>Pause before redelivering an event whose consumer threw: doubling from the minimum to the maximum, with ±20% jitter.</summary>
internal sealed class KafkaDeliveryBackoff(KafkaStreamOptions options) : IMessageDeliveryBackoffProvider
{
    private const int DoublingsMax = 20;

    public TimeSpan Next(int attempt)
    {
        var doublings = Math.Clamp(attempt, 0, DoublingsMax);
        var delay = Math.Min(options.DeliveryBackoffMin.TotalMilliseconds * Math.Pow(2, doublings), options.DeliveryBackoffMax.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }
}
