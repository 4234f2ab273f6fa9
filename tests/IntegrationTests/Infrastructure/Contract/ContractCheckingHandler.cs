namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The platform client's handler: every exchange with the API (<c>/v1/...</c> and <c>/connect/token</c>, on any process
/// serving it) is checked against the served OpenAPI document after the answer arrives, and recorded in the
/// <see cref="ContractLedger"/>. The exchange itself goes on unchanged: a test sees the same answer it always did, and
/// fails at its end if any of its exchanges broke the contract. The exchange goes through <paramref name="inner"/> when
/// given (a handler that connects from a chosen source address, as a PSP's webhook delivery does), else a plain one.
/// </summary>
public sealed class ContractCheckingHandler(Func<Uri, bool> servesApi, ContractLedger ledger, HttpMessageHandler? inner = null)
    : DelegatingHandler(inner ?? new SocketsHttpHandler())
{
    /// <summary>The served document; exchanges before it is set (none today) are not checked.</summary>
    public ContractDocument? Document { get; set; }

    public static bool IsApiPath(string path) =>
        path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1" || path == "/connect/token";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Document is not { } document || request.RequestUri is not { } uri || !servesApi(uri) || !IsApiPath(uri.AbsolutePath))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = await ContractExchange.BodyOfAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var exchange = await ContractExchange.ReadAsync(request, body, response, cancellationToken);
        var violations = ContractValidator.Check(document, exchange, out var operation);
        ledger.Record(operation, exchange, violations);
        return response;
    }
}
