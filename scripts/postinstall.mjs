console.log('firebreak: postinstall placeholder')
