using System.Text.Json;
using Payments.Actors.KafkaEmbedded;
using Payments.Actors.KafkaEmbedded.Options;

// The embedded Kafka of the one-machine layout: librdkafka's in-memory mock cluster behind fixed ports, plus an
// admin API for fault injection. Production points Kafka:BootstrapServers at a real cluster instead.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<EmbeddedKafkaOptions>().BindConfiguration(EmbeddedKafkaOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EmbeddedKafkaOptions>, EmbeddedKafkaOptionsValidator>();
builder.Services.AddSingleton<EmbeddedKafka>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedKafka>());
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
app.MapEmbeddedKafkaAdmin();
await app.RunAsync();
