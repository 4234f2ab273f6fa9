using System.Text;
using System.Text.Json;

namespace Payments.Actors.IntegrationTests.Infrastructure;

public sealed record ApiResponse(int Status, byte[] Body, bool Replayed)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public Guid Id => Guid.Parse(Json.GetProperty("id").GetString()!);

    public string State => Json.GetProperty("state").GetString()!;

    public string ErrorCode => Json.GetProperty("error_code").GetString()!;

    public override string ToString() => $"{Status} {Text}";
}
