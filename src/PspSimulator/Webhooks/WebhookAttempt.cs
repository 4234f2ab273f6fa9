namespace Payments.Actors.PspSimulator.Webhooks;

/// <summary>One attempt to deliver a notification, as the admin API lists it.</summary>
/// <param name="Copy">Which copy of the notification (1 for the original; duplicates and resends count on).</param>
/// <param name="Attempt">The attempt number of that copy, from 1.</param>
/// <param name="Status">The platform's HTTP status, or null when it did not answer.</param>
/// <param name="Error">Why there was no answer (<c>timeout</c>, <c>no answer: ConnectionError</c>), or null.</param>
/// <param name="WrongSignature">The <c>wrong_signature_next</c> fault signed this attempt with a wrong secret.</param>
/// <param name="StaleTimestamp">The <c>stale_timestamp_next</c> fault dated this attempt ten minutes back.</param>
/// <param name="RetryInMs">How long the next attempt of this copy waits (the drawn backoff), or null when none follows.</param>
internal sealed record WebhookAttempt(
    int Copy,
    int Attempt,
    DateTimeOffset AttemptedAt,
    int? Status,
    string? Error,
    bool WrongSignature,
    bool StaleTimestamp,
    int? RetryInMs);
