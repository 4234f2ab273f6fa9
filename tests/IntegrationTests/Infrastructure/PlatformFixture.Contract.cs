namespace Payments.Actors.IntegrationTests.Infrastructure;

/// <summary>
/// The OpenAPI contract: the document the API serves, read once when the platform is up, and the handler under
/// <see cref="Http"/> that checks every exchange with the API against it (<see cref="ContractCheckingHandler"/>).
/// </summary>
public sealed partial class PlatformFixture
{
    private readonly ContractCheckingHandler _contract;

    public PlatformFixture()
    {
        _contract = new ContractCheckingHandler(ServesApi, ContractLedger.Shared);
        Http = new HttpClient(_contract) { Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// Another client whose exchanges are checked like <see cref="Http"/>'s, for code that sets its own default headers or
    /// connects its own way (<paramref name="inner"/>).
    /// </summary>
    public HttpClient NewCheckedClient(HttpMessageHandler? inner = null) =>
        new(new ContractCheckingHandler(ServesApi, ContractLedger.Shared, inner) { Document = Contract }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The PSP simulator and the embedded Kafka's admin API are not the API: their exchanges are not checked.</summary>
    private bool ServesApi(Uri uri) => uri.Port != PspPort && uri.Port != KafkaAdminPort;

    /// <summary>The served document (<c>/openapi/v1.json</c>) every exchange is checked against.</summary>
    public ContractDocument Contract => _contract.Document ?? throw new InvalidOperationException("The platform is not started.");

    /// <summary>The served document as bytes, as a client generator would download it.</summary>
    public byte[] ContractBytes { get; private set; } = [];

    private async Task LoadContractAsync()
    {
        using var response = await Http.GetAsync($"{ApiUrl}/openapi/v1.json");
        ContractBytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /openapi/v1.json: {(int)response.StatusCode}");
        _contract.Document = ContractDocument.Parse(ContractBytes);
    }
}
