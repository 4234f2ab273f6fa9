using System.Text.Json;

namespace Payments.Actors.PspSimulatorTests;

/// <summary>One notification request as the test receiver got it, with the status it answered.</summary>
public sealed class ReceivedWebhook
{
    public ReceivedWebhook(string provider, IReadOnlyDictionary<string, string> headers, byte[] body, WebhookVerdict verdict, long timestamp)
    {
        Provider = provider;
        Headers = headers;
        Body = body;
        Verdict = verdict;
        ReceivedTimestamp = timestamp;
        using var document = JsonDocument.Parse(body);
        Json = document.RootElement.Clone();
        (Id, Type, Reference) = provider switch
        {
            "psp-a" => (Json.GetProperty("id").GetString()!, Json.GetProperty("type").GetString()!,
                Json.GetProperty("data").GetProperty("object").GetProperty("reference").GetString()!),
            "psp-b" => (Json.GetProperty("notificationId").GetString()!, Json.GetProperty("eventCode").GetString()!, Json.GetProperty("merchantTxnId").GetString()!),
            _ => (Json.GetProperty("notification_id").GetString()!, Json.GetProperty("event").GetString()!,
                Json.GetProperty("transfer").GetProperty("transfer_ref").GetString()!),
        };
    }

    public string Provider { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    public JsonElement Json { get; }

    /// <summary>The notification id: <c>id</c>, <c>notificationId</c> or <c>notification_id</c>.</summary>
    public string Id { get; }

    /// <summary>The notification type: <c>type</c>, <c>eventCode</c> or <c>event</c>.</summary>
    public string Type { get; }

    /// <summary>Our reference: the payment's <c>reference</c>, <c>merchantTxnId</c> or <c>transfer_ref</c>.</summary>
    public string Reference { get; }

    /// <summary>What <see cref="WebhookVerifier"/> made of the signature when it arrived.</summary>
    public WebhookVerdict Verdict { get; }

    /// <summary>When it arrived, from <see cref="TimeProvider.GetTimestamp"/>.</summary>
    public long ReceivedTimestamp { get; }

    public int AnsweredStatus { get; set; }

    public override string ToString() => $"{Provider} {Type} {Id} ({Verdict}, answered {AnsweredStatus})";
}
