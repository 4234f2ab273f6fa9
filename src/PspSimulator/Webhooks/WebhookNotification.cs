using System.Text.Json;

namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>
/// A notification a provider sends: its id, type and body are fixed when the outcome is decided and never change,
/// whatever the number of copies and attempts. <c>Reference</c> is ours (payment id or transfer reference).
/// </summary>
internal sealed class WebhookNotification(string id, string type, string reference, byte[] body, DateTimeOffset createdAt)
{
    /// <summary>The attempts kept per notification for the admin API; older ones are forgotten.</summary>
    public const int HistoryMax = 64;

    private readonly Lock _gate = new();
    private readonly Queue<WebhookAttempt> _history = new();
    private int _copies;
    private int _attempts;
    private int _copiesDelivered;
    private int _copiesGivenUp;
    private int? _lastStatus;
    private string? _lastError;
    private DateTimeOffset? _deliveredAt;

    public string Id { get; } = id;

    public string Type { get; } = type;

    public string Reference { get; } = reference;

    public byte[] Body { get; } = body;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Publication order within the provider, for stable listings.</summary>
    public long Serial { get; set; }

    public int AddCopy()
    {
        lock (_gate)
        {
            return ++_copies;
        }
    }

    public void Record(WebhookAttempt attempt, bool delivered, bool givenUp)
    {
        lock (_gate)
        {
            _attempts++;
            _lastStatus = attempt.Status;
            _lastError = attempt.Error;
            if (delivered)
            {
                _copiesDelivered++;
                _deliveredAt ??= attempt.AttemptedAt;
            }

            if (givenUp)
            {
                _copiesGivenUp++;
            }

            _history.Enqueue(attempt);
            if (_history.Count > HistoryMax)
            {
                _history.Dequeue();
            }
        }
    }

    public WebhookNotificationView ToView()
    {
        using var body = JsonDocument.Parse(Body);
        lock (_gate)
        {
            return new WebhookNotificationView(
                Id, Type, Reference, CreatedAt, _copies, _attempts, _lastStatus, _lastError, _deliveredAt,
                _copiesDelivered, _copiesGivenUp, [.. _history], body.RootElement.Clone());
        }
    }
}
