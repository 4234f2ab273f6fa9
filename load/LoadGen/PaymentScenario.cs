using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.LoadGen;

/// <summary>
/// The seed's scenario: an authenticated merchant creates a payment with automatic capture, paying with the
/// always-approved test card, under a fresh Idempotency-Key per request (so nothing is a replay).
/// </summary>
public sealed class PaymentScenario(HttpClient http, LoadOptions options, LoadStats stats)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly Uri _endpoint = new(options.BaseUrl, "/v1/payments");

    /// <summary>Sends one payment; latency runs from <paramref name="startTimestamp"/> (the scheduled time in the open model).</summary>
    public async Task SendAsync(string token, int user, long sequence, long startTimestamp, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.CreateVersion7().ToString("N"));
        // 100..99998 minor units: 99999 is the PSP simulator's magic amount, declined whatever the card
        // (src/PspSimulator/README.md), and a load run measures the approving path.
        var amount = 100 + (sequence * 7919 % 99_899);
        var body = $$$"""{"amount_minor":{{{amount}}},"currency":"EUR","capture":true,"reference":"load-{{{user}}}-{{{sequence}}}","card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}}""";
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = Json } };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var ok = status is 201 or 202;
            stats.Record(startTimestamp, status.ToString(System.Globalization.CultureInfo.InvariantCulture), ok ? StateOf(bytes) : null, ok);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stats.Record(startTimestamp, "timeout", null, ok: false);
        }
        catch (HttpRequestException exception)
        {
            stats.Record(startTimestamp, "transport:" + (exception.HttpRequestError.ToString()), null, ok: false);
        }
    }

    private static string? StateOf(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("state"u8))
            {
                reader.Read();
                return reader.GetString();
            }
        }

        return null;
    }

    public static long Now() => Stopwatch.GetTimestamp();
}
