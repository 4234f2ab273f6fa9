using Payments.Actors.Streaming.Kafka.Streams;

namespace Payments.Actors.StreamingTests;

public sealed class DeliveryWatermarkTests
{
    [Fact]
    public void NothingIsCommittableBeforeTheFirstRecordIsDelivered()
    {
        var watermark = new DeliveryWatermark();
        watermark.HandedOut(5);
        watermark.HandedOut(6);

        Assert.False(watermark.Delivered(6));
        Assert.Null(watermark.CommitPosition);
        Assert.Equal(2, watermark.Pending);
    }

    [Fact]
    public void TheCommitPositionNeverPassesAnUndeliveredRecord()
    {
        var watermark = new DeliveryWatermark();
        foreach (var offset in new long[] { 0, 1, 2, 3, 4 })
        {
            watermark.HandedOut(offset);
        }

        watermark.Delivered(0);
        watermark.Delivered(1);
        watermark.Delivered(3);
        watermark.Delivered(4);
        Assert.Equal(2, watermark.CommitPosition);

        Assert.True(watermark.Delivered(2));
        Assert.Equal(5, watermark.CommitPosition);
        Assert.Equal(0, watermark.Pending);
    }

    [Fact]
    public void GapsInOffsetsFromTransactionMarkersDoNotStopTheCommitPosition()
    {
        var watermark = new DeliveryWatermark();
        watermark.HandedOut(10);
        watermark.HandedOut(12);
        watermark.HandedOut(15);

        watermark.Delivered(12);
        watermark.Delivered(10);
        watermark.Delivered(15);

        Assert.Equal(16, watermark.CommitPosition);
    }

    [Fact]
    public void DeliveriesOfOffsetsNeverHandedOutAreIgnored()
    {
        var watermark = new DeliveryWatermark();
        watermark.HandedOut(3);

        Assert.False(watermark.Delivered(2));
        Assert.False(watermark.Delivered(4));
        Assert.Null(watermark.CommitPosition);
    }

    [Fact]
    public void AfterTheBrokerLostTheLogTheNewLifeCommitsFromItsOwnOffsetsAndLateDeliveriesOfTheOldOneMoveNothing()
    {
        var watermark = new DeliveryWatermark();
        watermark.HandedOut(20);
        watermark.HandedOut(21);
        Assert.True(watermark.Delivered(20));

        watermark.Restart();
        watermark.HandedOut(0);
        watermark.HandedOut(1);

        Assert.False(watermark.Delivered(21, generation: 0));
        Assert.Null(watermark.CommitPosition);
        Assert.False(watermark.Delivered(1, generation: 1));
        Assert.True(watermark.Delivered(0, generation: 1));
        Assert.Equal(2, watermark.CommitPosition);
    }

    [Fact]
    public void OffsetsHandedOutOutOfOrderAreRejected()
    {
        var watermark = new DeliveryWatermark();
        watermark.HandedOut(7);

        Assert.Throws<InvalidOperationException>(() => watermark.HandedOut(7));
    }
}
