using Payments.Actors.ApiFront;
using Payments.Actors.ServiceDefaults;

// ApiFront as its own process: an Orleans client of the silos' cluster.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("payments-api");
builder.AddApiFront();
builder.UseOrleansClient(client => client.UsePaymentsCluster(builder.Configuration));

var app = builder.Build();
app.UseManagementAccess(app.Configuration);
app.UseApiFront();
app.MapServiceDefaults();
app.Run();
