namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>Request bodies with the documented test cards of the PSP simulator.</summary>
public static class Requests
{
    public const string ApprovedCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string SlowCard = "4000000000000259";

    public static string Payment(long amount = 1000, string currency = "USD", bool capture = true, string card = ApprovedCard) =>
        $$"""{"amount_minor":{{amount}},"currency":"{{currency}}","capture":{{(capture ? "true" : "false")}},"card":{"number":"{{card}}","exp_month":12,"exp_year":2030,"cvc":"123"},"reference":"it"}""";

    public static string Amount(long amount) => $$"""{"amount_minor":{{amount}}}""";

    /// <summary>PSP A's notification (its own wire format) that it captured 10.00 EUR of a new payment of ours.</summary>
    public static (string EventId, Guid Payment, byte[] Body) PspACaptureNotification()
    {
        var eventId = $"evt_{Guid.NewGuid():N}";
        var payment = Guid.CreateVersion7();
        return (eventId, payment, System.Text.Encoding.UTF8.GetBytes($$"""
            {"id":"{{eventId}}","type":"payment.captured","created":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},
             "data":{"object":{"object":"payment","id":"pa_1","reference":"{{payment:N}}","status":"captured","amount":1000,"currency":"EUR",
                               "captured_amount":1000,"refunded_amount":0,"decline_reason":null} } }
            """));
    }
}
