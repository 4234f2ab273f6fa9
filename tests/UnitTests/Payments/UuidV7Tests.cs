using Payments.Actors.Grains;
using Xunit;

namespace Payments.Actors.UnitTests.Payments;

public sealed class UuidV7Tests
{
    [Theory]
    [InlineData("2025-03-14T09:26:53.589+00:00")]
    [InlineData("1970-01-01T00:00:00.001+00:00")]
    [InlineData("2199-12-31T23:59:59.999+00:00")]
    [InlineData("2025-03-14T11:26:53.589+02:00")]
    public void TimestampOfReturnsTheMillisecondTheIdWasMadeAt(string instant)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var id = UuidV7.New(now);

        Assert.True(UuidV7.IsVersion7(id));
        Assert.Equal(now, UuidV7.TimestampOf(id));
        Assert.Equal(TimeSpan.Zero, UuidV7.TimestampOf(id).Offset);
    }

    [Fact]
    public void TimestampOfTruncatesSubMillisecondTicks()
    {
        var now = new DateTimeOffset(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

        Assert.Equal(now, UuidV7.TimestampOf(UuidV7.New(now.AddTicks(9_999))));
    }

    [Fact]
    public void IdsMadeLaterSortLaterAsText()
    {
        // PostgreSQL orders uuid by its bytes, which is the order of the canonical text form.
        var now = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

        var earlier = UuidV7.New(now).ToString();
        var later = UuidV7.New(now.AddMilliseconds(1)).ToString();

        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}.");
    }

    [Fact]
    public void TwoIdsInTheSameMillisecondDiffer()
    {
        var now = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

        Assert.NotEqual(UuidV7.New(now), UuidV7.New(now));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c3301")]
    [InlineData("6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
    [InlineData("01958f4c-1a2b-8c3d-8e4f-5a6b7c8d9e0f")]
    public void NonVersion7IdIsRejected(string text)
    {
        var id = Guid.Parse(text);

        Assert.False(UuidV7.IsVersion7(id));
        Assert.Throws<InvariantViolationException>(() => UuidV7.TimestampOf(id));
    }

    [Fact]
    public void RandomVersion4IdIsRejected()
    {
        var id = Guid.NewGuid();

        Assert.False(UuidV7.IsVersion7(id));
        Assert.Throws<InvariantViolationException>(() => UuidV7.TimestampOf(id));
    }
}
