using System.Text.Json;
using Payments.Actors.ApiFront.Edge;
using Xunit;

namespace Payments.Actors.UnitTests.Api;

public sealed class UtcTimestampTests
{
    private sealed record Stamped(DateTimeOffset CreatedAt);

    [Theory]
    [InlineData("2026-12-03T15:04:05.1234567+00:00", "2026-12-03T15:04:05.1234567Z")]
    [InlineData("2026-12-03T16:04:05.5+01:00", "2026-12-03T15:04:05.5Z")]
    [InlineData("2026-12-03T15:04:05+00:00", "2026-12-03T15:04:05Z")]
    public void TheApiWritesEveryTimeInUtcWithAZ(string value, string written)
    {
        var json = JsonSerializer.Serialize(new Stamped(DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture)), ApiJson.Options);

        Assert.Equal($$"""{"created_at":"{{written}}"}""", json);
    }

    [Fact]
    public void ATimeWithAnOffsetIsReadAsTheSameInstant()
    {
        var read = JsonSerializer.Deserialize<Stamped>("""{"created_at":"2026-12-03T16:04:05+01:00"}""", ApiJson.Options)!;

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 15, 4, 5, TimeSpan.Zero), read.CreatedAt);
    }
}
