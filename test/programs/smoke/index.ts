// The smallest real program: one dynamic resource whose provider does no I/O.
import * as pulumi from "@pulumi/pulumi";

const echoProvider: pulumi.dynamic.ResourceProvider = {
  create(inputs: { message: string }) {
    return Promise.resolve({ id: `echo-${inputs.message}`, outs: { message: inputs.message } });
  },
  diff(_id: string, olds: { message: string }, news: { message: string }) {
    return Promise.resolve({ changes: olds.message !== news.message, replaces: ["message"] });
  },
  read(id: string, props: { message: string }) {
    return Promise.resolve({ id, props });
  },
};

class Echo extends pulumi.dynamic.Resource {
  declare readonly message: pulumi.Output<string>;
  constructor(name: string, message: pulumi.Input<string>) {
    super(echoProvider, name, { message }, {});
  }
}

const config = new pulumi.Config();
const echo = new Echo("echo", config.get("message") ?? "hello");
export const message = echo.message;
