using System.Threading.Channels;
using Payments.Actors.PspSimulator.Options;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// One provider's notifications: a bounded in-memory queue of copies to deliver (see <see cref="WebhookLanes"/>
/// for the order), the copies held by the <c>out_of_order</c> fault, the retry schedule, the counters and the
/// notifications kept for the admin API. <see cref="WebhookSender"/> takes copies out and reports each attempt.
/// Without a configured URL it is disabled and <see cref="Publish"/> does nothing.
/// </summary>
internal sealed class WebhookOutbox
{
    private readonly Lock _gate = new();
    private readonly WebhookLanes _lanes = new();
    private readonly List<WebhookDelivery> _held = [];
    private readonly BoundedStore<WebhookNotification> _stored;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _generation;
    private long _serial;
    private int _pending;
    private int _inFlight;
    private long _sentAttempts;
    private long _delivered;
    private long _failedAttempts;
    private long _givenUp;
    private long _dropped;
    private bool _dropLogged;

    public WebhookOutbox(string provider, WebhookOptions options, TimeProvider time, ILogger logger)
    {
        Provider = provider;
        Options = options;
        Enabled = options.Enabled;
        Url = Enabled ? new Uri(options.Url!, UriKind.Absolute) : null;
        _stored = new BoundedStore<WebhookNotification>(options.StoredNotificationsMax);
        _time = time;
        _logger = logger;
    }

    public string Provider { get; }

    public WebhookOptions Options { get; }

    public bool Enabled { get; }

    public Uri? Url { get; }

    public WebhookFaults Faults { get; } = new();

    /// <summary>Signals the sender that something may have become ready; one pending signal is enough.</summary>
    public ChannelReader<bool> Wakeups => _wake.Reader;

    /// <summary>Queues a decided outcome's notification, with the copies the <c>duplicates</c> fault asks for.</summary>
    public void Publish(WebhookNotification notification)
    {
        if (!Enabled)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            // Read under the lock: SetFaults switching out_of_order off must not miss a copy held meanwhile.
            var faults = Faults.Settings;
            notification.Serial = ++_serial;
            _stored.Add(notification.Id, notification);
            var notBefore = now + TimeSpan.FromMilliseconds(faults.DelayMs);
            for (var copy = 0; copy <= faults.Duplicates; copy++)
            {
                if (!Admit(notification, notBefore, faults.OutOfOrder))
                {
                    break;
                }
            }
        }

        Wake();
    }

    /// <summary>
    /// Sends a stored notification once more (same id and body) as a new copy; null when it is not stored,
    /// <paramref name="queued"/> false when the queue is full.
    /// </summary>
    public WebhookNotification? Resend(string notificationId, out bool queued)
    {
        queued = false;
        if (!Enabled || !_stored.TryGet(notificationId, out var notification))
        {
            return null;
        }

        lock (_gate)
        {
            queued = Admit(notification, _time.GetUtcNow(), Faults.Settings.OutOfOrder);
        }

        Wake();
        return notification;
    }

    /// <summary>Sets the faults; switching <c>out_of_order</c> off releases what it held, newest first.</summary>
    public void SetFaults(WebhookFaultSettings settings)
    {
        lock (_gate)
        {
            Faults.Set(settings);
            if (!settings.OutOfOrder)
            {
                ReleaseHeld();
            }
        }

        Wake();
    }

    /// <summary>Releases the notifications held by <c>out_of_order</c>, newest first; returns how many copies.</summary>
    public int Flush()
    {
        int released;
        lock (_gate)
        {
            released = ReleaseHeld();
        }

        Wake();
        return released;
    }

    /// <summary>The next copy to attempt, unless paused, at the in-flight limit or nothing is due.</summary>
    public bool TryTake(out WebhookDelivery? delivery)
    {
        lock (_gate)
        {
            delivery = null;
            if (Faults.Settings.Paused || _inFlight >= Options.MaxInFlight || !_lanes.TryTake(_time.GetUtcNow(), out delivery))
            {
                return false;
            }

            _inFlight++;
            delivery!.Attempts++;
            return true;
        }
    }

    /// <summary>How long the sender may sleep before something is due; null to sleep until woken.</summary>
    public TimeSpan? NextWait()
    {
        lock (_gate)
        {
            return Faults.Settings.Paused || _inFlight >= Options.MaxInFlight ? null : _lanes.NextDue(_time.GetUtcNow());
        }
    }

    /// <summary>Records an attempt's result: delivered on 2xx, otherwise retried after a drawn backoff or given up.</summary>
    public void Complete(WebhookDelivery delivery, DateTimeOffset attemptedAt, int? status, string? error, bool wrongSignature, bool staleTimestamp)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (delivery.Generation != _generation)
            {
                return;
            }

            _inFlight--;
            _sentAttempts++;
            var delivered = status is >= 200 and <= 299;
            var givenUp = !delivered && delivery.Attempts >= Options.MaxAttempts;
            int? retryInMs = null;
            if (delivered)
            {
                _delivered++;
            }
            else
            {
                _failedAttempts++;
                if (givenUp)
                {
                    _givenUp++;
                    SimulatorLog.WebhookGivenUp(_logger, Provider, delivery.Notification.Id, delivery.Attempts);
                }
                else
                {
                    retryInMs = WebhookBackoff.DrawMs(Options, delivery.Attempts);
                    delivery.NotBefore = now + TimeSpan.FromMilliseconds(retryInMs.Value);
                }
            }

            if (delivered || givenUp)
            {
                _pending--;
            }

            _lanes.Release(delivery, finished: delivered || givenUp, now);
            delivery.Notification.Record(
                new WebhookAttempt(delivery.Copy, delivery.Attempts, attemptedAt, status, error, wrongSignature, staleTimestamp, retryInMs), delivered, givenUp);
        }

        Wake();
    }

    public WebhookStats Snapshot()
    {
        lock (_gate)
        {
            return new WebhookStats(
                Provider, Enabled, Url?.ToString(), _pending, _held.Count, _inFlight, _sentAttempts, _delivered, _failedAttempts, _givenUp, _dropped, _serial);
        }
    }

    /// <summary>The stored notifications about one of our references (all of them without one), oldest first.</summary>
    public IReadOnlyList<WebhookNotificationView> Find(string? reference, int limit)
    {
        var found = _stored.Values
            .Where(notification => reference is null || string.Equals(notification.Reference, reference, StringComparison.Ordinal))
            .OrderBy(static notification => notification.Serial)
            .Take(limit);
        return [.. found.Select(static notification => notification.ToView())];
    }

    public void Reset()
    {
        lock (_gate)
        {
            _generation++;
            _lanes.Clear();
            _held.Clear();
            _stored.Clear();
            Faults.Set(WebhookFaultSettings.None);
            (_serial, _pending, _inFlight, _sentAttempts, _delivered, _failedAttempts, _givenUp, _dropped) = (0, 0, 0, 0, 0, 0, 0, 0);
        }

        Wake();
    }

    private bool Admit(WebhookNotification notification, DateTimeOffset notBefore, bool hold)
    {
        if (_pending >= Options.QueueCapacity)
        {
            _dropped++;
            if (!_dropLogged)
            {
                _dropLogged = true;
                SimulatorLog.WebhookQueueFull(_logger, Provider, Options.QueueCapacity);
            }

            return false;
        }

        _dropLogged = false;
        _pending++;
        var delivery = new WebhookDelivery(notification, notification.AddCopy(), _generation, notBefore);
        if (hold)
        {
            _held.Add(delivery);
        }
        else
        {
            _lanes.Add(delivery, _time.GetUtcNow());
        }

        return true;
    }

    private int ReleaseHeld()
    {
        var released = _held.Count;
        var now = _time.GetUtcNow();
        for (var i = _held.Count - 1; i >= 0; i--)
        {
            _lanes.Add(_held[i], now);
        }

        _held.Clear();
        return released;
    }

    private void Wake() => _wake.Writer.TryWrite(true);
}
