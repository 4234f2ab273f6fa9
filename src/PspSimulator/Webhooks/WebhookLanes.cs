namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// The dispatch order of one provider's deliveries. Each of our references (a payment, a transfer) has a lane
/// that delivers one copy at a time, in the order they joined; the head of a lane waiting for its retry holds
/// back only its own lane. Among lanes whose head may go, the head that joined first goes first, so with
/// one attempt in flight and no failures the platform receives notifications in decision order.
/// Not thread-safe: <see cref="WebhookOutbox"/> calls it under its lock.
/// </summary>
internal sealed class WebhookLanes
{
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly PriorityQueue<Lane, long> _ready = new();
    private readonly PriorityQueue<Lane, DateTimeOffset> _waiting = new();
    private long _sequence;

    /// <summary>Deliveries in the lanes, in flight ones included.</summary>
    public int Count { get; private set; }

    public void Add(WebhookDelivery delivery, DateTimeOffset now)
    {
        delivery.Sequence = ++_sequence;
        var key = delivery.Notification.Reference;
        if (!_lanes.TryGetValue(key, out var lane))
        {
            lane = new Lane(key);
            _lanes.Add(key, lane);
        }

        lane.Items.Enqueue(delivery);
        Count++;

        // A lane with more than this one item is already placed or in flight; its head does not change.
        if (lane.Items.Count == 1)
        {
            Place(lane, now);
        }
    }

    /// <summary>Takes the head of the ready lane that joined first; that lane stays busy until <see cref="Release"/>.</summary>
    public bool TryTake(DateTimeOffset now, out WebhookDelivery? delivery)
    {
        while (_waiting.TryPeek(out var due, out var notBefore) && notBefore <= now)
        {
            _waiting.Dequeue();
            _ready.Enqueue(due, due.Items.Peek().Sequence);
        }

        if (_ready.TryDequeue(out var lane, out _))
        {
            delivery = lane.Items.Peek();
            return true;
        }

        delivery = null;
        return false;
    }

    /// <summary>Ends an attempt: a finished copy leaves its lane, otherwise it stays at the head until its <c>NotBefore</c>.</summary>
    public void Release(WebhookDelivery delivery, bool finished, DateTimeOffset now)
    {
        var lane = _lanes[delivery.Notification.Reference];
        if (finished)
        {
            lane.Items.Dequeue();
            Count--;
            if (lane.Items.Count == 0)
            {
                _lanes.Remove(lane.Key);
                return;
            }
        }

        Place(lane, now);
    }

    /// <summary>How long until a waiting lane's head may go; zero when one may go now; null when nothing is queued.</summary>
    public TimeSpan? NextDue(DateTimeOffset now)
    {
        if (_ready.Count > 0)
        {
            return TimeSpan.Zero;
        }

        return _waiting.TryPeek(out _, out var notBefore) ? (notBefore > now ? notBefore - now : TimeSpan.Zero) : null;
    }

    public void Clear()
    {
        _lanes.Clear();
        _ready.Clear();
        _waiting.Clear();
        Count = 0;
    }

    private void Place(Lane lane, DateTimeOffset now)
    {
        var head = lane.Items.Peek();
        if (head.NotBefore <= now)
        {
            _ready.Enqueue(lane, head.Sequence);
        }
        else
        {
            _waiting.Enqueue(lane, head.NotBefore);
        }
    }

    private sealed class Lane(string key)
    {
        public string Key { get; } = key;

        public Queue<WebhookDelivery> Items { get; } = new();
    }
}
