using Payments.Actors.Infrastructure.Outbox;
using Payments.Actors.Infrastructure.Kafka;
using Xunit;

namespace Payments.Actors.UnitTests.Outbox;

public sealed class OutboxOptionsValidatorTests
{
    private static readonly OutboxOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid() => Assert.True(Validator.Validate(null, new OutboxOptions()).Succeeded);

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public void A_batch_size_out_of_range_is_refused(int batch)
    {
        var result = Validator.Validate(null, new OutboxOptions { BatchMax = batch });

        Assert.True(result.Failed);
        Assert.Contains("Outbox:BatchMax", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_produce_timeout_under_a_second_is_refused() =>
        Assert.True(Validator.Validate(null, new OutboxOptions { ProduceTimeout = TimeSpan.FromMilliseconds(10) }).Failed);

    [Fact]
    public void Zero_attempts_before_parking_is_refused() =>
        Assert.True(Validator.Validate(null, new OutboxOptions { AttemptsMax = 0 }).Failed);

    [Fact]
    public void A_non_positive_poll_interval_is_refused() =>
        Assert.True(Validator.Validate(null, new OutboxOptions { PollInterval = TimeSpan.Zero }).Failed);
}
