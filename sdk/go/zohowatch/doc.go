// Zoho CRM instant-notification subscriptions (watch channels) as Pulumi resources.
package zohowatch
