using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>
/// The Bank, scripted at the HTTP layer: the real <c>BankConnector</c> is a concrete class with its own wire
/// format, so the test double sits under it as the "bank" HttpClient's handler. Every transfer is BOOKED at
/// once; each transfer reference is booked once (as the Bank's idempotency would), and counted.
/// </summary>
public sealed class ScriptedBank : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, string> _booked = new(StringComparer.Ordinal);

    /// <summary>Transfers booked in one direction: <c>DEBIT</c> (a cash-in) or <c>CREDIT</c> (a cash-out).</summary>
    public int Booked(string direction) => _booked.Values.Count(d => d == direction);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath != "/bank/v2/transfers")
        {
            // Status inquiries: the scripted Bank answers every transfer at once, so none is ever asked about.
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = Json(new { error_code = "NOT_FOUND" }) };
        }

        using var body = JsonDocument.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
        var transferRef = body.RootElement.GetProperty("transfer_ref").GetString()!;
        _booked.TryAdd(transferRef, body.RootElement.GetProperty("direction").GetString()!);
        return new HttpResponseMessage(HttpStatusCode.Created)
        {
            Content = Json(new { state = "BOOKED", bank_transfer_id = $"bt_{transferRef}" }),
        };
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
