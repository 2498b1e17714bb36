#!/bin/sh
# Re-fetch GraphiQL's browser files from the npm registry into api/core/graphiql/assets/
# (`make graphiql-assets`). Change a version below, run this, then update the version in the
# asset paths and the `integrity` hashes it prints into api/core/graphiql/page.html.
set -eu

REACT=18.2.0
GRAPHIQL=3.8.3
EXPLORER=1.0.2

here=$(cd "$(dirname "$0")" && pwd)
assets="$here/assets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# unpack PACKAGE@VERSION into $work/NAME
unpack() {
    mkdir -p "$work/$2"
    (cd "$work" && npm pack --silent "$1" >"$2.name")
    tar -xzf "$work/$(cat "$work/$2.name")" -C "$work/$2" --strip-components=1
}

unpack "react@$REACT" react
unpack "react-dom@$REACT" react-dom
unpack "graphiql@$GRAPHIQL" graphiql
unpack "@graphiql/plugin-explorer@$EXPLORER" explorer

rm -rf "$assets"
mkdir -p "$assets/react-$REACT" "$assets/react-dom-$REACT" "$assets/graphiql-$GRAPHIQL" \
    "$assets/graphiql-plugin-explorer-$EXPLORER"
cp "$work/react/umd/react.production.min.js" "$work/react/LICENSE" "$assets/react-$REACT/"
cp "$work/react-dom/umd/react-dom.production.min.js" "$work/react-dom/LICENSE" \
    "$assets/react-dom-$REACT/"
cp "$work/graphiql/graphiql.min.js" "$work/graphiql/graphiql.min.css" "$work/graphiql/LICENSE" \
    "$assets/graphiql-$GRAPHIQL/"
# The explorer's npm package carries no LICENSE file; it comes from the same repository as
# GraphiQL (github.com/graphql/graphiql, MIT, "license" in its package.json), under that LICENSE.
cp "$work/explorer/dist/index.umd.js" "$work/explorer/dist/style.css" "$work/graphiql/LICENSE" \
    "$assets/graphiql-plugin-explorer-$EXPLORER/"

echo "integrity hashes for page.html:"
cd "$assets"
for file in */*.js */*.css; do
    echo "  $file sha384-$(openssl dgst -sha384 -binary "$file" | openssl base64 -A)"
done
